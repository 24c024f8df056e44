# A correct tcp-client that half-closes: it says "I am done sending"
# (shutdown SHUT_WR), then reads the reply until the server closes.
import socket
import sys

line = sys.stdin.readline().rstrip("\n")
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(line.encode("utf-8"))
s.shutdown(socket.SHUT_WR)
reply = b""
while True:
    data = s.recv(1024)
    if not data:
        break
    reply += data
print(reply.decode("utf-8"))
s.close()
