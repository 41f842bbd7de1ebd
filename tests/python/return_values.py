import asyncio


async def price(item, cents):
    await asyncio.sleep(0.1)
    return cents


async def main():
    prices = await asyncio.gather(price("tea", 250), price("cake", 420), price("jam", 375))
    print("prices:", prices)


asyncio.run(main())
