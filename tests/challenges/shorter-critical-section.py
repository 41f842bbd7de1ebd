import asyncio

db = asyncio.Lock()


async def save(n):
    print(f"save {n} waits for the lock")
    await asyncio.sleep(0.5)
    async with db:
        print(f"save {n} writes")


async def main():
    await asyncio.gather(save(1), save(2), save(3))
    print("3 writes, one at a time")


asyncio.run(main())
