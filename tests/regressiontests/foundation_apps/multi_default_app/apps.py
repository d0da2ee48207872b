from django.apps import AppConfig


class OneConfig(AppConfig):
    default = True
    name = __package__


class TwoConfig(AppConfig):
    default = True
    name = __package__
