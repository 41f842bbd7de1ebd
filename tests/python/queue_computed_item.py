import asyncio

queue = asyncio.Queue()


async def main():
    await queue.put(sum(i * i for i in range(3000000)))
    item = await queue.get()
    print(f"{item}")


asyncio.run(main())
