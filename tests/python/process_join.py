from multiprocessing import Process
import time


def task(n):
    print(f"task {n} starts")
    time.sleep(0.3)
    print(f"task {n} ends")


if __name__ == "__main__":
    p = Process(target=task, args=(7,))
    p.start()
    p.join()
    print("joined")
