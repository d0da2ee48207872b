"""SQLAlchemy 2.x ORM (declarative models, Session), in its own venv.

The closest idiomatic equivalents of the Django calls: W1 adds and
flushes one object at a time (a create() runs its INSERT at once); W2
``add_all`` + one flush (batched "insertmanyvalues" with RETURNING);
W5 ``select(...).where(id == pk)`` + ``scalar_one()`` (a get() that
raises on 0 or 2+ rows, one query per pk); W6 an inner join with
``contains_eager`` (select_related); W7/W8 bulk UPDATE/DELETE statements
without session synchronisation; W10 ``yield_per(2000)`` (streams).
"""
from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, create_engine, delete, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, contains_eager, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Group(Base):
    __tablename__ = "bench_group"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Item(Base):
    __tablename__ = "bench_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    value: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    flag: Mapped[bool] = mapped_column(Boolean, default=False)
    group_id: Mapped[int] = mapped_column(ForeignKey("bench_group.id"), index=True)
    group: Mapped[Group] = relationship()


def url(db):
    if db["backend"] == "sqlite":
        return "sqlite:///" + db["path"]
    driver = "postgresql+psycopg" if db["backend"] == "postgresql" else "mysql+pymysql"
    auth = db["user"] + (":" + db["password"] if db["password"] else "")
    return "%s://%s@%s:%s/%s" % (driver, auth, db["host"], db["port"], db["name"])


class Implementation:
    # W9 would be three engines and a session per engine, chosen by hand: no
    # router in the sense of the Django API (SQLAlchemy's horizontal sharding
    # extension is a different model), so not written.
    unsupported = {"W9": "n/a (no router)"}

    def __init__(self, db, workdir):
        self.engine = create_engine(url(db))
        Base.metadata.create_all(self.engine)
        self.session = None

    def before_workload(self):
        self.session = Session(self.engine, expire_on_commit=False)

    def after_workload(self, failed=False):
        # Ends any open transaction so the raw verifier sees committed data.
        self.session.rollback() if failed else self.session.commit()
        self.session.close()

    def w1(self, n):
        s = self.session
        total = 0
        with s.begin():
            for i in range(n):
                obj = Item(name="item%d" % i, value=i % 1000, score=i * 0.5, flag=i % 2 == 0,
                           group_id=1 + i % 10)
                s.add(obj)
                s.flush()
                total += obj.id
        return {"sum_pk": total}

    def w1b(self, n):
        s = self.session
        total = 0
        with s.begin():
            groups = s.query(Group).order_by(Group.id).all()
            for i in range(n):
                obj = Item(name="item%d" % i, value=i % 1000, score=i * 0.5, flag=i % 2 == 0,
                           group=groups[i % 10])
                s.add(obj)
                s.flush()
                total += obj.id
        return {"sum_pk": total}

    def w2(self, n):
        s = self.session
        objs = [Item(name="item%d" % i, value=i % 1000, score=i * 0.5, flag=i % 2 == 0,
                     group_id=1 + i % 10) for i in range(n)]
        with s.begin():
            s.add_all(objs)
            s.flush()
        pks = [o.id for o in objs if o.id is not None]
        return {"keys": len(pks), "sum_pk": sum(pks)}

    def w3(self, n):
        rows = total = 0
        for obj in self.session.scalars(select(Item)):
            rows += 1
            total += obj.value
        return {"rows": rows, "sum": total}

    def w4(self, n):
        rows = total = 0
        for _id, value, _score in self.session.execute(select(Item.id, Item.value, Item.score)):
            rows += 1
            total += value
        return {"rows": rows, "sum": total}

    def w5(self, pks):
        s = self.session
        total = 0
        for pk in pks:
            total += s.execute(select(Item).where(Item.id == pk)).scalar_one().value
        return {"sum": total}

    def w6(self, names):
        s = self.session
        rows = matched = total = 0
        base = select(Item).join(Item.group).options(contains_eager(Item.group))
        for name in names:
            for obj in s.scalars(base.where(Group.name == name)):
                rows += 1
                total += obj.value
                matched += obj.group.name == name
        return {"rows": rows, "matched": matched, "sum": total}

    def w7(self):
        s = self.session
        with s.begin():
            result = s.execute(update(Item).values(value=Item.value + 1),
                               execution_options={"synchronize_session": False})
        return {"rows": result.rowcount}

    def w8(self):
        s = self.session
        with s.begin():
            result = s.execute(delete(Item).where(Item.value >= 0),
                               execution_options={"synchronize_session": False})
        return {"rows": result.rowcount}

    def w10(self, n):
        rows = total = 0
        for obj in self.session.scalars(select(Item).execution_options(yield_per=2000)):
            rows += 1
            total += obj.value
        return {"rows": rows, "sum": total}

    def close(self):
        if self.session is not None:
            self.session.close()
        self.engine.dispose()
