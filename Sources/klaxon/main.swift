print("klaxon: not built yet")
