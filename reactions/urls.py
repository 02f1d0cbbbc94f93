from django.urls import path

from reactions import views

app_name = "reactions"

urlpatterns = [
    path("evenementen/<slug:slug>/reageren/", views.post_reaction, name="post"),
]
