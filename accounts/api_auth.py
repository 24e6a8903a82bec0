from rest_framework.authentication import TokenAuthentication

from accounts import audit


class AuditedTokenAuthentication(TokenAuthentication):
    """Token authentication happens after the middleware, so it names the audit actor itself."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            audit.set_actor(result[0])
        return result
