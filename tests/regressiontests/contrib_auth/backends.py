from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied


class TokenBackend(BaseBackend):
    """Accepts token='magic' for the user 'tokenuser'."""

    def authenticate(self, request, token=None):
        if token == "magic":
            return User.objects.get(username="tokenuser")
        return None


class DenyingBackend(BaseBackend):
    def authenticate(self, request, username=None, password=None):
        raise PermissionDenied

    def has_perm(self, user_obj, perm, obj=None):
        raise PermissionDenied


class ObjectPermBackend(BaseBackend):
    def get_all_permissions(self, user_obj, obj=None):
        return {"contrib_auth.view_document"} if obj is not None else set()

    def has_module_perms(self, user_obj, app_label):
        return app_label == "objperm_app"
