import asyncio
import time


async def stubborn():
    print("stubborn starts")
    time.sleep(0.4)
    print("stubborn ends")


async def polite():
    print("polite starts")
    await asyncio.sleep(0.1)
    print("polite ends")


async def main():
    # time.sleep holds the loop: polite cannot even start until stubborn is done.
    await asyncio.gather(stubborn(), polite())


asyncio.run(main())
