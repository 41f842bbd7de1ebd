import asyncio
import time

print("loading")
time.sleep(0.2)
limit = 3
print(f"limit is {limit}")


async def main():
    print(f"main sees {limit}")
    await asyncio.sleep(0.1)


asyncio.run(main())
print("after asyncio.run")
