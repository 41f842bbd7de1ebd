import threading
import time

a = threading.Lock()
b = threading.Lock()


# Each thread sleeps holding its first lock long enough for the other to take its own,
# even on a busy machine: then each waits for the other's, forever.
def first():
    with a:
        print("first holds a")
        time.sleep(0.5)
        with b:
            print("first holds both")


def second():
    with b:
        print("second holds b")
        time.sleep(0.5)
        with a:
            print("second holds both")


t1 = threading.Thread(target=first)
t2 = threading.Thread(target=second)
t1.start()
t2.start()
t1.join()
t2.join()
print("never printed")
