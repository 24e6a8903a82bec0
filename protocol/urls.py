app_name = "protocol"

urlpatterns: list = []
