import asyncio

ready = asyncio.Event()


async def waiter(name):
    print(f"{name} waits")
    await ready.wait()
    print(f"{name} goes")


async def starter():
    await asyncio.sleep(0.3)
    print("set")
    ready.set()


async def main():
    await asyncio.gather(waiter("a"), waiter("b"), starter())
    await ready.wait()
    print("already set")


asyncio.run(main())
