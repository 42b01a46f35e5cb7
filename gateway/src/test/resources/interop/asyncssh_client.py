"""Drives Callgate with asyncssh (Debian python3-asyncssh): HOST PORT USER KEY OP... where OP is
ls:PATH, put:LOCAL:REMOTE, mv:FROM:TO or get:REMOTE:LOCAL. Prints the negotiated algorithms to stderr."""
import asyncio
import sys
import warnings

warnings.simplefilter("ignore")  # Debian's cryptography warns about ciphers asyncssh only imports
import asyncssh  # noqa: E402


async def main(host, port, user, key, ops):
    async with asyncssh.connect(host, port=port, username=user, client_keys=[key], known_hosts=None,
                                agent_path=None) as conn:
        print("negotiated: cipher=%s mac=%s" % (conn.get_extra_info("send_cipher"),
              conn.get_extra_info("send_mac")), file=sys.stderr)
        async with conn.start_sftp_client() as sftp:
            for op in ops:
                verb, *args = op.split(":")
                if verb == "ls":
                    print("\n".join(sorted(n for n in await sftp.listdir(args[0]) if n not in (".", ".."))))
                elif verb == "put":
                    await sftp.put(args[0], args[1])
                elif verb == "mv":
                    await sftp.rename(args[0], args[1])
                elif verb == "get":
                    await sftp.get(args[0], args[1])
                else:
                    raise SystemExit("unknown op " + op)


asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]))
