import asyncio

queue = asyncio.Queue()


async def main():
    await queue.put(1)
    print("put one item")
    await queue.join()
    print("never printed")


asyncio.run(main())
