"""/v2/products: owner isolation, scopes, input rules, both body encodings, both URL spellings."""
import json

import pytest

from apiv2.models import Product
from tests.factories import basic_header, make_consumer, make_product, make_user

ERROR_KEYS = {"status", "message", "additional", "reference"}


def send_json(client, method, path, data):
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def genie_product(db):
    return make_product(make_user("genie"), name="Genie's own lamp", sku="G-1")


def test_create_list_read_update_delete(api, aladdin):
    created = send_json(api, "post", "/v2/products", {"name": "Lamp", "sku": "L-1", "price": "19.5"})
    assert created.status_code == 201
    product = created.json()
    assert product["price"] == "19.50"
    assert set(product) == {"id", "name", "sku", "price", "description", "created", "updated"}

    listing = api.get("/v2/products").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == product["id"]

    path = f"/v2/products/{product['id']}"
    assert send_json(api, "patch", path, {"price": "21.00"}).json()["price"] == "21.00"
    replaced = send_json(api, "put", path, {"name": "Big lamp", "price": "30.00"})
    assert replaced.status_code == 200 and replaced.json()["name"] == "Big lamp"
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_accounts_product_is_404_to_every_method(api, genie_product, method):
    path = f"/v2/products/{genie_product.pk}"
    response = send_json(api, method, path, {"name": "stolen", "price": "1.00"})
    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS
    genie_product.refresh_from_db()
    assert genie_product.name == "Genie's own lamp"


def test_another_accounts_products_are_not_listed(api, genie_product):
    assert api.get("/v2/products").json()["count"] == 0


def test_a_body_naming_an_owner_or_id_cannot_move_a_product(api, aladdin, genie_product):
    mine = make_product(aladdin, name="Mine")
    genie = genie_product.owner
    response = send_json(api, "patch", f"/v2/products/{mine.pk}",
                         {"owner": genie.pk, "id": genie_product.pk, "name": "Still mine"})
    assert response.status_code == 200
    mine.refresh_from_db()
    genie_product.refresh_from_db()
    assert (mine.owner, mine.name) == (aladdin, "Still mine")
    assert genie_product.name == "Genie's own lamp"

    created = send_json(api, "post", "/v2/products", {"name": "New", "owner": genie.pk, "id": genie_product.pk})
    assert created.status_code == 201
    assert Product.objects.get(pk=created.json()["id"]).owner == aladdin
    assert created.json()["id"] != genie_product.pk


def test_read_only_key_can_read_but_not_write(client, aladdin, password):
    read_only = make_consumer(aladdin, scopes="products:read")
    make_product(aladdin)
    client.defaults.update(HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                           HTTP_X_CLIENT_KEY=read_only.client_key)
    assert client.get("/v2/products").status_code == 200
    for method in ("post", "put", "patch", "delete"):
        path = "/v2/products" if method == "post" else f"/v2/products/{Product.objects.get().pk}"
        response = send_json(client, method, path, {"name": "x"})
        assert response.status_code == 403, method
        assert response.json()["message"] == "Insufficient scope"
        assert "products:write" in response.json()["additional"]
    assert Product.objects.get().name != "x"


def test_key_without_products_read_cannot_list(client, aladdin, password):
    account_only = make_consumer(aladdin, scopes="account:read")
    client.defaults.update(HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                           HTTP_X_CLIENT_KEY=account_only.client_key)
    response = client.get("/v2/products")
    assert response.status_code == 403
    assert "products:read" in response.json()["additional"]


def test_form_encoded_body_is_accepted(api):
    response = api.post("/v2/products", data="name=Carpet&price=7.25",
                        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 201
    assert response.json()["price"] == "7.25"


@pytest.mark.parametrize("body,field", [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": "ok", "price": "-0.01"}, "price"),
    ({"name": "ok", "price": "1.234"}, "price"),
    ({"name": "ok", "price": "lots"}, "price"),
])
def test_invalid_product_is_a_400_naming_the_field(api, body, field):
    response = send_json(api, "post", "/v2/products", body)
    assert response.status_code == 400
    error = response.json()
    assert error["message"] == "Invalid request"
    assert error["additional"].startswith(f"{field}: ")


def test_sku_is_unique_within_an_account_only(api, aladdin, genie_product):
    assert send_json(api, "post", "/v2/products", {"name": "a", "sku": "G-1"}).status_code == 201
    clash = send_json(api, "post", "/v2/products", {"name": "b", "sku": "G-1"})
    assert clash.status_code == 400 and clash.json()["additional"].startswith("sku: ")
    assert send_json(api, "post", "/v2/products", {"name": "c"}).status_code == 201
    assert send_json(api, "post", "/v2/products", {"name": "d"}).status_code == 201


@pytest.mark.parametrize("path", ["/v2/products", "/v2/products/", "/v2", "/v2/"])
def test_urls_answer_with_and_without_trailing_slash_without_redirect(api, path):
    assert api.get(path).status_code == 200


def test_detail_url_answers_with_and_without_trailing_slash(api, aladdin):
    product = make_product(aladdin)
    assert api.get(f"/v2/products/{product.pk}").status_code == 200
    assert api.get(f"/v2/products/{product.pk}/").status_code == 200


def test_list_is_paginated(api, aladdin):
    for _ in range(55):
        make_product(aladdin)
    first = api.get("/v2/products").json()
    assert first["count"] == 55 and len(first["results"]) == 50
    assert first["next"].endswith("/v2/products?page=2")
    assert len(api.get("/v2/products?page=2").json()["results"]) == 5


def test_an_empty_form_price_is_invalid_not_omitted(api):
    response = api.post("/v2/products", data="name=Lamp&price=", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json()["additional"].startswith("price: ")
