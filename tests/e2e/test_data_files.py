"""The data directory's database files are private (mode 0600) whatever the umask, including files an older
server left readable: they hold sealed secrets, password hashes and the audit trail."""
import os
import stat

from conftest import Server, client


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_files_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        srv = Server(str(tmp_path / "data")).start()
    finally:
        os.umask(old)
    try:
        client(srv, "iam").create_user(UserName="someone")   # a write, so the WAL has frames
        db = os.path.join(srv.data_dir, "warden.db")
        for path in (db, db + "-wal", db + "-shm"):
            assert os.path.exists(path), path
            assert mode(path) == 0o600, f"{path} has mode {oct(mode(path))}"
    finally:
        srv.stop()


def test_files_left_readable_are_made_private_at_start(tmp_path):
    srv = Server(str(tmp_path / "data")).start()
    client(srv, "iam").create_user(UserName="someone")
    srv.stop()
    db = os.path.join(srv.data_dir, "warden.db")
    os.chmod(db, 0o644)
    srv.start()
    try:
        assert mode(db) == 0o600
        assert client(srv, "iam").get_user(UserName="someone")["User"]["UserName"] == "someone"
    finally:
        srv.stop()
