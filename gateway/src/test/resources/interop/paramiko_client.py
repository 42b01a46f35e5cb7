"""Drives Callgate with paramiko (Debian python3-paramiko): HOST PORT USER KEY OP... where OP is
ls:PATH, put:LOCAL:REMOTE, mv:FROM:TO or get:REMOTE:LOCAL. put() keeps paramiko's default confirm=True
(a stat after closing), as scripts in the field do. Prints the negotiated algorithms to stderr."""
import sys

import paramiko

host, port, user, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
transport = paramiko.Transport((host, port))
transport.connect(username=user, pkey=paramiko.Ed25519Key.from_private_key_file(key))
print("negotiated: cipher=%s mac=%s" % (transport.local_cipher, transport.local_mac), file=sys.stderr)
sftp = paramiko.SFTPClient.from_transport(transport)
for op in sys.argv[5:]:
    verb, *args = op.split(":")
    if verb == "ls":
        print("\n".join(sorted(sftp.listdir(args[0]))))
    elif verb == "put":
        sftp.put(args[0], args[1])
    elif verb == "mv":
        sftp.rename(args[0], args[1])
    elif verb == "get":
        sftp.get(args[0], args[1])
    else:
        raise SystemExit("unknown op " + op)
sftp.close()
transport.close()
