import asyncio
from concurrent.futures import ProcessPoolExecutor
import math

pool = ProcessPoolExecutor(max_workers=2)


def roots(n):
    return sum(math.sqrt(i) for i in range(n))


async def main():
    loop = asyncio.get_running_loop()
    # Four jobs on two workers: two waves.
    results = await asyncio.gather(*(loop.run_in_executor(pool, roots, 3_000_000) for _ in range(4)))
    print("sums:", results)


if __name__ == "__main__":
    asyncio.run(main())
