import threading
import time


def greet(name, times, pause):
    print(f"hello {name}, {times} times, {pause!r} s apart")
    time.sleep(0.25)


t = threading.Thread(target=greet, args=("Ada", 3, 0.25), daemon=False)
t.start()
t.join()
