import asyncio

queue = asyncio.Queue(maxsize=3)


async def producer():
    for i in range(15):
        await asyncio.sleep(0.01)
        await queue.put(i)
        print(f"put {i}")


async def consumer():
    for _ in range(15):
        item = await queue.get()
        await asyncio.sleep(0.08)
        print(f"handled {item}")
        queue.task_done()


async def main():
    asyncio.create_task(consumer())
    await producer()
    await queue.join()
    print("all handled")


asyncio.run(main())
