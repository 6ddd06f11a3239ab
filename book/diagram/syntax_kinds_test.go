package diagram

import "testing"

// kindSnippets are syntax found in real diagrams of the kinds beyond
// flowcharts, state and sequence diagrams; each must be drawn.
var kindSnippets = []string{
	// classDiagram
	`classDiagram
  Animal <|-- Duck
  Animal : +int age
  Animal: +isMammal()
  class Duck{
    +String beakColor
    +swim()
  }`,
	`classDiagram-v2
  class Shape{
    <<interface>>
    noOfVertices
    draw()
  }
  class Color{
    <<enumeration>>
    RED
  }`,
	`classDiagram
  class Square~Shape~{
    int id
    List~int~ position
    setPoints(List~int~ points)
    getPoints() List~int~
  }
  Square : -List~string~ messages
  Square : +getMessages() List~string~
  Square : +getDistanceMatrix() List~List~int~~`,
	`classDiagram
  Customer "1" --> "*" Ticket
  Student "1" --> "1..*" Course
  Galaxy --> "many" Star : Contains`,
	`classDiagram
  namespace BaseShapes {
    class Triangle
    class Rectangle {
      double width
    }
  }
  note "This is a general note"
  note for Triangle "This is a note"`,
	`classDiagram
  class Animal:::someclass
  Animal : +String name
  class A { }
  class B {}
  A --|> B
  click A href "https://example.com"
  callback B "fn"`,
	`classDiagram
  class Person{
    +someAbstractMethod()*
    +someStaticMethod()$
    String someField$
  }
  class Empty`,
	"classDiagram\n  class `Name with spaces`\n  `Name with spaces` <|-- Child\n",
	// erDiagram
	`erDiagram
  CUSTOMER ||--o{ ORDER : places
  ORDER ||--|{ LINE-ITEM : contains
  CUSTOMER }|..|{ DELIVERY-ADDRESS : uses`,
	`erDiagram
  CAR ||--o{ NAMED-DRIVER : allows
  CAR {
    string registrationNumber PK
    string make
  }
  PERSON {
    string driversLicense PK "The license #"
    string(99) firstName "Only 99 characters are allowed"
    int age
  }
  NAMED-DRIVER {
    string carRegistrationNumber PK, FK
    string driverLicence PK,FK
  }
  MANUFACTURER only one to zero or more CAR : makes`,
	`erDiagram
  p[Person] {
    string firstName
  }
  a["Customer Account"] {
    string email
  }
  p ||--o| a : has
  PERSON }o--|| "Named Thing" : is
  A 1+--0+ B : x
  C many(0)--many(1) D : y
  E ||--o{ F : ""`,
	`erDiagram
  CUSTOMER {}
  ORDER { }
  CUSTOMER:::someclass ||--o{ ORDER : places
  classDef someclass fill:#f96
  class ORDER someclass
  style CUSTOMER fill:#bbf`,
}

func TestSyntaxKinds(t *testing.T) {
	for _, src := range kindSnippets {
		d, err := render(src)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if err := checkSVG(d.SVG()); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}
