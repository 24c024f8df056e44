# Wrong: readline keeps the newline, and it is sent with the text.
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
while True:
    line = sys.stdin.readline()
    if not line or line.strip() == "exit":
        break
    s.sendto(line.encode("utf-8"), (host, port))
s.close()
