import asyncio


async def tick(n):
    await asyncio.sleep(0.1)
    print(f"tick {n}")


async def main():
    await tick(1)
    await tick(2)


if __name__ == "__main__":
    asyncio.run(main())
