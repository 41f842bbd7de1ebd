import asyncio


async def fails():
    await asyncio.sleep(0.2)
    print("fails raises")
    raise ValueError("bad input")


async def slow():
    try:
        await asyncio.sleep(1.0)
        print("slow finished")
    except asyncio.CancelledError:
        print("slow cancelled")
        raise


async def quick():
    await asyncio.sleep(0.1)
    print("quick finished")


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(quick())
            tg.create_task(slow())
            tg.create_task(fails())
            print("all created")
        print("not printed")
    except* ValueError:
        print("caught the ValueError")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fails())
    except ExceptionGroup:
        print("caught the group")
    print("done")


asyncio.run(main())
