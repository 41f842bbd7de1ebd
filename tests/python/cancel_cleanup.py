import asyncio


async def worker():
    print("worker started")
    try:
        await asyncio.sleep(2.0)
        print("worker finished")
    except asyncio.CancelledError:
        print("worker cancelled: cleanup")
        raise
    finally:
        print("worker finally")


async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(0.3)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("main saw the cancellation")
    print("main done")


asyncio.run(main())
