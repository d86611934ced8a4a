"""The requests each scenario sends: (method, path, headers, body) tuples for wrk to cycle through."""
import base64

FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}
PRODUCTS = "/v2/products"


def build_scenarios(seeded, base_url, budget):
    basic = base64.b64encode(f"{seeded['username']}:{seeded['password']}".encode()).decode()
    return [
        {"name": "reference", "requests": [("GET", "/bench/reference/products", FORWARDED_HTTPS, None)]},
        {"name": "basic+client_key", "requests": [("GET", PRODUCTS, {
            **FORWARDED_HTTPS, "Authorization": f"Basic {basic}", "X-Client-Key": seeded["client_key"],
        }, None)]},
    ]
