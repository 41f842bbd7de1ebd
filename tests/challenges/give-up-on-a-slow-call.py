import asyncio


async def slow():
    await asyncio.sleep(3)
    print("answered")


async def main():
    try:
        await asyncio.wait_for(slow(), timeout=1)
    except TimeoutError:
        print("timed out")
    print("done")


asyncio.run(main())
