print("statusd")
