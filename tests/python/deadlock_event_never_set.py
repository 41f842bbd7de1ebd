import asyncio

ready = asyncio.Event()


async def waiter():
    print("waiting for the event")
    await ready.wait()
    print("never printed")


async def main():
    task = asyncio.create_task(waiter())
    await asyncio.sleep(0.05)
    print("nobody will set it")
    await task


asyncio.run(main())
