"""What ``pkg/controller`` shares between controllers: pod helpers,
expectations, controller references and adoption, conditions, time."""
