import asyncio

db = asyncio.Lock()


async def writer(name):
    print(f"{name} wants the lock")
    async with db:
        print(f"{name} holds the lock")
        await asyncio.sleep(0.1)
    print(f"{name} released it")


async def main():
    await asyncio.gather(writer("w1"), writer("w2"), writer("w3"))
    print("all written")


asyncio.run(main())
