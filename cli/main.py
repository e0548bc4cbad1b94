def main(argv=None):
    import dcpolicy
    print(dcpolicy.__version__)
    return 0
