import asyncio


async def slow(name):
    print(f"{name} sent")
    await asyncio.sleep(0.3)
    print(f"{name} answered")


async def quick(name):
    print(f"{name} sent")
    await asyncio.sleep(0.1)
    print(f"{name} answered")


async def main():
    await asyncio.gather(slow("a"), quick("b"), slow("c"))
    print("all answered")


asyncio.run(main())
