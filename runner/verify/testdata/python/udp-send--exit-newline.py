# Wrong: compares the line, newline included, with "exit", so it never
# stops; at the end of input readline returns "" and it sends empty
# datagrams as fast as it can until it is stopped.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
while True:
    line = sys.stdin.readline()
    if line == "exit":
        break
    s.sendto(line.rstrip("\n").encode("utf-8"), (sys.argv[1], int(sys.argv[2])))
s.close()
