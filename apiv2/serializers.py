"""Input rules for products. The owner is never an input: it comes from the credentials."""
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils import html

from apiv2.models import Product


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^[0-9]{1,10}(\.[0-9]{1,2})?$",
                      "example": "19.99"})
class PriceField(serializers.DecimalField):
    """A non-negative amount with two places, as a string; the schema says exactly what is accepted."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, min_value=Decimal("0"), coerce_to_string=True,
                         **kwargs)

    def get_value(self, dictionary):
        # DRF reads an empty form value of an optional field as "not given"; a `price=` that is
        # there but empty is an invalid amount, as in JSON.
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class ProductSerializer(serializers.ModelSerializer):
    name = serializers.CharField(min_length=1, max_length=200)
    price = PriceField(required=False)

    class Meta:
        model = Product
        fields = ["id", "name", "sku", "price", "description", "created", "updated"]
        read_only_fields = ["id", "created", "updated"]

    def validate_sku(self, sku):
        owner = self.context["request"].user
        clash = Product.objects.filter(owner=owner, sku=sku).exclude(pk=getattr(self.instance, "pk", None))
        if sku and clash.exists():
            raise serializers.ValidationError("You already have a product with this SKU.")
        return sku
