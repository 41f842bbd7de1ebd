import asyncio


async def ping():
    await asyncio.sleep(0.2)
    return "pong"


async def main():
    # Fifty pings at once take 0.2 s, not 10 s.
    answers = await asyncio.gather(*(ping() for _ in range(50)))
    print(answers)


asyncio.run(main())
