import asyncio

db = asyncio.Lock()
cache = asyncio.Lock()


async def worker_a():
    async with db:
        print("worker_a holds db")
        await asyncio.sleep(0.1)
        async with cache:
            print("worker_a holds both")


async def worker_b():
    async with cache:
        print("worker_b holds cache")
        await asyncio.sleep(0.1)
        async with db:
            print("worker_b holds both")


async def main():
    await asyncio.gather(worker_a(), worker_b())
    print("never printed")


asyncio.run(main())
