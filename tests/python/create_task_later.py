import asyncio


async def download():
    print("download started")
    await asyncio.sleep(0.4)
    print("download done")
    return "file.zip"


async def main():
    task = asyncio.create_task(download())
    print("doing other work")
    await asyncio.sleep(0.1)
    print("other work done")
    name = await task
    print(f"got {name}")


asyncio.run(main())
