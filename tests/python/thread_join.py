import threading
import time


def save(name):
    print(f"saving {name}")
    time.sleep(0.2)
    print(f"saved {name}")


t = threading.Thread(target=save, args=("report.pdf",))
t.start()
t.join()
print("after join")
