"""Input rules for products. The owner is never an input: it comes from the credentials."""
from decimal import Decimal

from rest_framework import serializers

from apiv2.models import Product


class ProductSerializer(serializers.ModelSerializer):
    name = serializers.CharField(min_length=1, max_length=200)
    price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False, coerce_to_string=True
    )

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
