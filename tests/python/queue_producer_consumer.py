import asyncio

queue = asyncio.Queue(maxsize=2)


async def producer():
    for i in range(5):
        await queue.put(i)
        print(f"put {i}")
    print("producer done")


async def consumer():
    for _ in range(5):
        item = await queue.get()
        await asyncio.sleep(0.1)
        print(f"handled {item}")
        queue.task_done()


async def main():
    worker = asyncio.create_task(consumer())
    await producer()
    await queue.join()
    print("queue drained")
    await worker


asyncio.run(main())
