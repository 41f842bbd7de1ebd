import asyncio
from concurrent.futures import ProcessPoolExecutor


def squares(n):
    return sum(i * i for i in range(n))


async def main():
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=2) as pool:
        totals = await asyncio.gather(
            loop.run_in_executor(pool, squares, 4_000_000),
            loop.run_in_executor(pool, squares, 6_000_000),
        )
    print("totals:", totals)


if __name__ == "__main__":
    asyncio.run(main())
