import asyncio


async def fails():
    await asyncio.sleep(0.1)
    raise ValueError("bad input")


async def slow():
    try:
        await asyncio.sleep(1.0)
    finally:
        print("slow cleaned up")


async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(slow())
        tg.create_task(fails())
    print("not printed")


asyncio.run(main())
