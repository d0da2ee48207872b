"""The legacy inventory database, as the other program that owns it made it.

In real life this database already exists and this module does not: the demo
needs it to exist first, so it plays the other program here, with plain SQL
through a cursor (no model, no syncdb). Lower-case SQL types, naming in the
old program's style (``inv_``, ``sup_id``, ``descr``), and nothing that one of
SQLite, PostgreSQL or MariaDB would not accept.
"""

TABLES = ["inv_item", "inv_supplier"]  # drop order: the item refers to the supplier

CREATE = [
    "CREATE TABLE inv_supplier ("
    " sup_id integer NOT NULL PRIMARY KEY,"
    " sup_name varchar(60) NOT NULL)",
    "CREATE TABLE inv_item ("
    " item_code varchar(12) NOT NULL PRIMARY KEY,"
    " descr varchar(80) NOT NULL,"
    " qty_on_hand integer NOT NULL,"
    " sup_id integer NULL REFERENCES inv_supplier (sup_id))",
]

SUPPLIERS = [(1, "Analytical Engines Ltd"), (2, "Hollerith Cards")]
ITEMS = [
    ("GEAR-01", "Brass gear", 40, 1),
    ("CARD-100", "Punched cards, box of 100", 5, 2),
    ("MANUAL", "Operator's manual", 2, None),
]


def create_legacy_database(connection):
    """(Re)create the legacy tables and their rows on ``connection``."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in TABLES:
            if table in existing:
                cursor.execute("DROP TABLE " + connection.ops.quote_name(table))
        for statement in CREATE:
            cursor.execute(statement)
        cursor.executemany("INSERT INTO inv_supplier (sup_id, sup_name) VALUES (%s, %s)", SUPPLIERS)
        cursor.executemany(
            "INSERT INTO inv_item (item_code, descr, qty_on_hand, sup_id) VALUES (%s, %s, %s, %s)", ITEMS
        )
