from django.dispatch import Signal

# Sent with sender=<DatabaseWrapper class>, connection=<wrapper> each time a
# new database connection is opened.
connection_created = Signal()
