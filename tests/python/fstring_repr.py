import asyncio


async def main():
    word = "it's"
    numbers = [1, 2.5, None, True, "x"]
    print(f"{word} / {word!r}")
    print(f"{numbers} / {numbers!r}")
    print(f"{{braces}} stay")
    answer = {"answer": 42, "pi": 3.14159}
    print(answer)


asyncio.run(main())
