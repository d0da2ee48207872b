"""``dbshell`` for MariaDB / MySQL: runs the mariadb (or mysql) client."""
import shutil

from django.db.backends.base.client import BaseDatabaseClient


class DatabaseClient(BaseDatabaseClient):
    executable_name = "mysql"
    cancels_on_interrupt = True

    @classmethod
    def _executable(cls):
        # MariaDB 10.5+ ships "mariadb"; "mysql" is the older/MySQL name.
        return "mariadb" if shutil.which("mariadb") else cls.executable_name

    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        """
        The password goes through MYSQL_PWD in the environment, never on
        the command line (where ps would show it to every user).
        """
        args = [cls._executable()]
        options = settings_dict.get("OPTIONS") or {}
        defaults_file = options.get("read_default_file")
        if defaults_file:
            # Must come first for the client to accept it.
            args.append("--defaults-file=%s" % defaults_file)
        user = settings_dict.get("USER") or options.get("user")
        password = settings_dict.get("PASSWORD") or options.get("password")
        host = settings_dict.get("HOST") or options.get("host")
        port = settings_dict.get("PORT") or options.get("port")
        database = settings_dict.get("NAME") or options.get("database")
        charset = options.get("charset") or "utf8mb4"
        ssl = options.get("ssl") or {}
        if user:
            args.append("--user=%s" % user)
        if host:
            if host.startswith("/"):
                args.append("--socket=%s" % host)
            else:
                args.append("--host=%s" % host)
        if port:
            args.append("--port=%s" % port)
        args.append("--default-character-set=%s" % charset)
        for key, flag in (("ca", "--ssl-ca"), ("cert", "--ssl-cert"), ("key", "--ssl-key")):
            if ssl.get(key):
                args.append("%s=%s" % (flag, ssl[key]))
        if database:
            args.append(database)
        args.extend(parameters)
        env = {"MYSQL_PWD": str(password)} if password else None
        return args, env
