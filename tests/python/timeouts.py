import asyncio


async def slow_call():
    print("slow call started")
    try:
        await asyncio.sleep(1.0)
        print("slow call finished")
    except asyncio.CancelledError:
        print("slow call cancelled")
        raise
    return 42


async def main():
    try:
        result = await asyncio.wait_for(slow_call(), timeout=0.3)
        print(f"got {result}")
    except TimeoutError:
        print("wait_for timed out")
    result = await asyncio.wait_for(slow_call(), timeout=2)
    print(f"got {result}")
    try:
        async with asyncio.timeout(0.2):
            await asyncio.sleep(1.0)
            print("not printed")
    except asyncio.TimeoutError:
        print("timeout block timed out")
    print("done")


asyncio.run(main())
