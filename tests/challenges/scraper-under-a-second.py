import asyncio


async def fetch(page):
    print(f"fetching {page}")
    await asyncio.sleep(0.4)


async def main():
    await asyncio.gather(fetch(0), fetch(1), fetch(2), fetch(3), fetch(4))
    print("5 pages fetched")


asyncio.run(main())
