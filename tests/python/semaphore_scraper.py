import asyncio

limit = asyncio.Semaphore(2)


async def fetch(page):
    async with limit:
        print(f"fetching {page}")
        await asyncio.sleep(0.2)
        print(f"fetched {page}")
    return page


async def main():
    pages = await asyncio.gather(fetch("a"), fetch("b"), fetch("c"), fetch("d"), fetch("e"))
    print(f"{pages}")


asyncio.run(main())
