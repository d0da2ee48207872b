"""Packaging for the `django` import package (a clean-room ORM subset)."""
import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read_version():
    with open(os.path.join(HERE, "django", "__init__.py"), encoding="utf-8") as fh:
        source = fh.read()
    major, minor, micro, level, serial = re.search(
        r"^VERSION = \((\d+), (\d+), (\d+), \"(\w+)\", (\d+)\)", source, re.M
    ).groups()
    version = f"{major}.{minor}.{micro}"
    if level != "final":
        version += {"alpha": "a", "beta": "b", "rc": "rc"}[level] + serial
    return version


setup(
    name="django-multidb-orm",
    version=read_version(),
    description="A clean-room, Django-compatible ORM subset with multiple-database support",
    author="The django-orm-multidb contributors",
    # An SPDX identifier; the full text is LICENSE, shipped in the
    # distributions (license_files).
    license="BSD-3-Clause",
    license_files=["LICENSE"],
    long_description=open(os.path.join(HERE, "README.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["django", "django.*"]),
    include_package_data=True,
    # The skeletons startproject and startapp copy (data, not modules).
    package_data={"django.conf": [
        "project_template/*-tpl", "project_template/*/*-tpl", "app_template/*-tpl",
    ]},
    install_requires=["sqlparse>=0.4"],
    extras_require={
        "postgresql": ["psycopg[binary]>=3.1"],
        "mysql": ["PyMySQL>=1.0"],
        "test": ["pytest>=7", "coverage>=7", "pillow>=10"],
    },
    entry_points={"console_scripts": ["django-admin = django.core.management:execute_from_command_line"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Framework :: Django",
        "Topic :: Database",
    ],
)
