# A correct udp-send, in the style of the notes (with their mistakes fixed).
import socket
import sys


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for line in sys.stdin:
            line = line.rstrip("\n")
            if line == "exit":
                break
            s.sendto(line.encode("utf-8"), (host, port))
    finally:
        s.close()


if __name__ == "__main__":
    main()
