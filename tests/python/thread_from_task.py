import asyncio
import threading
import time


def log_writer():
    time.sleep(0.3)
    print("log written")


async def main():
    t = threading.Thread(target=log_writer)
    t.start()
    await asyncio.sleep(0.1)
    print("main done")


# The non-daemon thread is joined at exit: "log written" still prints.
asyncio.run(main())
